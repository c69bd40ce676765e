// Child process for the desktop-core bench: a core that opens a cache of N tickets, serves a list
// page and a search, and reports its resident memory.
import { Cache } from '../../electron/core/cache/cache';
import { ApiClient } from '../../electron/core/api/api-client';
import { Outbox } from '../../electron/core/outbox/outbox';
import { systemClock } from '../../electron/core/ports';

const { cache } = Cache.open(process.argv[2]!);
new Outbox(cache, new ApiClient('http://127.0.0.1:9'), systemClock, () => null);
const page = cache.tickets.list({ status: ['open'] }, { field: 'updatedAt', dir: 'desc' }, 0, 100, null);
const hits = cache.tickets.search('printer', 50);
for (let i = 0; i < 200; i++) cache.tickets.list({ status: ['open', 'new'] }, { field: 'priority', dir: 'desc' }, i * 100, 100, null);
process.stdout.write(JSON.stringify({ tickets: cache.tickets.count(), page: page.items.length, hits: hits.length, rssMb: process.memoryUsage().rss / 1024 / 1024 }));
cache.close();

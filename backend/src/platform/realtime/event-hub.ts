import type { LiveEvent } from '../../../../shared/api/events';
import type { Audience } from '../../sync/change-feed';

export type EventSink = (event: LiveEvent, audience: Audience) => void;

/**
 * Domain services publish here after their transaction commits; the socket.io server (attached at
 * start-up) delivers to the rooms the audience names. Services never see socket.io.
 */
export class EventHub {
  private sinks: EventSink[] = [];

  attach(sink: EventSink): () => void {
    this.sinks.push(sink);
    return () => {
      this.sinks = this.sinks.filter((s) => s !== sink);
    };
  }

  publish(event: LiveEvent, audience: Audience): void {
    for (const sink of this.sinks) sink(event, audience);
  }
}

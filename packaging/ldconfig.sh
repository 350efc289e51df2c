#!/bin/sh
# After make install / uninstall: refreshes the dynamic linker's cache when
# the library went into a directory it searches, as root and without DESTDIR;
# otherwise prints the one line to run (or how to find a library elsewhere).
#   packaging/ldconfig.sh "$(DESTDIR)" "$(LIBDIR)"
destdir="$1"
libdir="$2"
[ -n "$destdir" ] && exit 0   # staging for a package: its scripts run ldconfig
searched=0
for d in $( (ldconfig -v -N 2>/dev/null || /sbin/ldconfig -v -N 2>/dev/null) | sed -n 's|^\(/[^:]*\):.*|\1|p'); do
    [ "$d" = "$libdir" ] && searched=1
done
if [ "$searched" = 1 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "ldconfig"
        ldconfig || /sbin/ldconfig
    else
        echo "make: now run: sudo ldconfig"
    fi
else
    echo "make: $libdir is not searched by the dynamic linker: build with -Wl,-rpath,$libdir or run with LD_LIBRARY_PATH=$libdir"
fi

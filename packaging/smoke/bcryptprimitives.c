/* bcryptprimitives.c — for the Windows smoke test under wine only, never
 * shipped: wine 8.0 (Debian 12) has no bcryptprimitives.dll, whose ProcessPrng
 * the Go runtime (Go >= 1.22) loads at start on Windows 10 and newer. This
 * stand-in implements ProcessPrng with RtlGenRandom (advapi32's
 * SystemFunction036), which wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size > 0) {
        ULONG chunk = size > 0x7fffffff ? 0x7fffffff : (ULONG)size;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}

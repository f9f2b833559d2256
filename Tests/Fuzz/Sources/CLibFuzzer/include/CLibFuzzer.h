// libFuzzer's entry points, for fuzz targets that have their own main (see FuzzSupport/Driver.swift).
// Provided by libclang_rt.fuzzer (linked by -sanitize=fuzzer); the declaration is libFuzzer's.
#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

// Each fuzz target defines this (@_cdecl in its Target.swift).
int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size);

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif

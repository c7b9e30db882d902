#ifndef NIXWASH_CLIBCSV_SHIM_H
#define NIXWASH_CLIBCSV_SHIM_H
#include <stddef.h>
#include <csv.h>
#endif

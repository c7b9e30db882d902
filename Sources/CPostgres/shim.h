#ifndef NIXWASH_CPOSTGRES_SHIM_H
#define NIXWASH_CPOSTGRES_SHIM_H
/* libpq, PostgreSQL's C client (Debian: libpq-dev; pkg-config libpq adds its include folder). */
#include <libpq-fe.h>
#endif

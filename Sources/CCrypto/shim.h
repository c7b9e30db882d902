// OpenSSL's libcrypto, for SHA-256 only: its assembly uses the CPU's SHA extensions where
// they exist (several times the speed of portable code).
#include <openssl/evp.h>
// Ed25519 signatures of report.json (`scrub --sign-key`, `audit verify --public-key`): keys are
// read as PEM.
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/err.h>

// OpenSSL's libcrypto, for SHA-256 only: its assembly uses the CPU's SHA extensions where
// they exist (several times the speed of portable code).
#include <openssl/evp.h>

#pragma once
// Content hashes for provenance: every output names the exact scenario bytes it came from.
#include <string>
#include <string_view>

namespace credsim::sim {

// SHA-256 of `bytes` as 64 lowercase hex digits (OpenSSL EVP, libcrypto).
std::string sha256_hex(std::string_view bytes);

}  // namespace credsim::sim

#pragma once
// Content hashes for provenance: every output names the exact scenario bytes it came from.
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace credsim::sim {

// SHA-256 of `bytes` as 64 lowercase hex digits (OpenSSL EVP, libcrypto).
std::string sha256_hex(std::string_view bytes);

// The same, fed piece by piece (for inputs too large to join into one string).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void add(std::string_view bytes);
  std::string hex();  // once, at the end

 private:
  ::evp_md_ctx_st* ctx_;
};

}  // namespace credsim::sim

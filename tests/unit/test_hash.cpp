// SHA-256 against the FIPS 180-2 test vectors.
#include <gtest/gtest.h>

#include <string>

#include "sim/hash.hpp"

namespace credsim {
namespace {

TEST(Hash, FipsAbc) {
  EXPECT_EQ(sim::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, FipsTwoBlocks) {
  EXPECT_EQ(sim::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Hash, Empty) {
  EXPECT_EQ(sim::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Hash, EmbeddedNulBytesCount) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(sim::sha256_hex(with_nul), sim::sha256_hex("a"));
  EXPECT_EQ(sim::sha256_hex(with_nul).size(), 64u);
}

}  // namespace
}  // namespace credsim

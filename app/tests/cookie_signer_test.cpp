// Signed cookie values: a tampered value, name or MAC is refused; a key
// rotated out of first place still verifies; a key not listed is refused;
// hex keys are decoded with precise errors.

#include "httpcore/app/cookie_signer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace httpcore::app {
namespace {

const std::string kOld(32, 'o'), kNew(32, 'n'), kOther(32, 'x');

TEST(CookieSigner, SignsAndVerifies) {
  cookie_signer s({kNew});
  std::string v = s.sign("sid", "abc");
  ASSERT_EQ(v.size(), 3u + 1 + 43);
  EXPECT_EQ(v.substr(0, 4), "abc.");
  EXPECT_EQ(s.verify("sid", v), "abc");
  EXPECT_EQ(cookie_signer({kNew}).sign("sid", "abc"), v);  // deterministic per key
  EXPECT_NE(cookie_signer({kOther}).sign("sid", "abc"), v);
}

TEST(CookieSigner, TamperedValuesAreRefused) {
  cookie_signer s({kNew});
  std::string v = s.sign("sid", "abc");
  EXPECT_EQ(s.verify("sid", "abd" + v.substr(3)), std::nullopt);  // value changed
  EXPECT_EQ(s.verify("other", v), std::nullopt);                  // moved to another name
  std::string mac_changed = v;
  mac_changed[10] = mac_changed[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(s.verify("sid", mac_changed), std::nullopt);                // MAC changed
  EXPECT_EQ(s.verify("sid", "abc"), std::nullopt);                      // no MAC
  EXPECT_EQ(s.verify("sid", v.substr(0, v.size() - 1)), std::nullopt);  // MAC cut short
  EXPECT_EQ(s.verify("sid", v + "A"), std::nullopt);                    // MAC too long
  std::string bad_alphabet = v;
  bad_alphabet.back() = '+';
  EXPECT_EQ(s.verify("sid", bad_alphabet), std::nullopt);
  EXPECT_EQ(s.verify("sid", ""), std::nullopt);
}

TEST(CookieSigner, RotationSignsWithTheNewestAndVerifiesWithAny) {
  std::string old_cookie = cookie_signer({kOld}).sign("sid", "abc");
  cookie_signer rotated({kNew, kOld});
  EXPECT_EQ(rotated.verify("sid", old_cookie), "abc");  // rotated key still verifies
  EXPECT_EQ(rotated.sign("sid", "abc"), cookie_signer({kNew}).sign("sid", "abc"));
  EXPECT_EQ(cookie_signer({kNew}).verify("sid", old_cookie), std::nullopt);  // dropped key
  std::string unknown = cookie_signer({kOther}).sign("sid", "abc");
  EXPECT_EQ(rotated.verify("sid", unknown), std::nullopt);  // a key never listed
}

TEST(CookieSigner, KeysAreChecked) {
  EXPECT_THROW(cookie_signer({}), std::invalid_argument);
  EXPECT_THROW(cookie_signer({std::string(15, 'k')}), std::invalid_argument);
  EXPECT_THROW(cookie_signer({kNew, std::string(2000, 'k')}), std::invalid_argument);
  EXPECT_NO_THROW(cookie_signer({std::string(16, 'k')}));
}

TEST(HexKey, DecodesAndRefusesPrecisely) {
  hex_key_result ok = decode_hex_key("000102030405060708090a0b0c0d0E0F");
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.key.size(), 16u);
  EXPECT_EQ(static_cast<unsigned char>(ok.key[15]), 0x0f);
  hex_key_result bad = decode_hex_key("00010203040506070809g0");
  EXPECT_EQ(bad.error, "not a hex digit: 'g'");
  EXPECT_EQ(bad.offset, 20u);
  EXPECT_EQ(decode_hex_key("abc").error, "an odd number of hex digits");
  EXPECT_EQ(decode_hex_key("abcd").error, "2 bytes; a key needs at least 16 (32 hex digits)");
}

TEST(Base64url, KnownValues) {
  EXPECT_EQ(base64url(""), "");
  EXPECT_EQ(base64url("f"), "Zg");
  EXPECT_EQ(base64url("fo"), "Zm8");
  EXPECT_EQ(base64url("foo"), "Zm9v");
  EXPECT_EQ(base64url("\xfb\xff"), "-_8");
  EXPECT_EQ(random_bytes(32).size(), 32u);
  EXPECT_NE(random_bytes(32), random_bytes(32));
}

}  // namespace
}  // namespace httpcore::app

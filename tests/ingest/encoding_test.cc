#include "ingest/encoding.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/ingest/ingest_testing.h"

namespace samrad::ingest {
namespace {

const std::string kSwedish =
    "Kompetensförsörjningen är vår största utmaning – på Åland, i Älvängen och i Öckerö. "
    "Vi vill se fler yrkesutbildningar på distans och bättre bussförbindelser på kvällarna.\n";

TEST(Encoding, ValidUtf8PassesThrough) {
  Result<DecodedText> d = DecodeText(kSwedish);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->text, kSwedish);
  EXPECT_EQ(d->encoding, "UTF-8");
  EXPECT_TRUE(d->warnings.empty());
}

TEST(Encoding, Utf8BomIsDroppedAndNamed) {
  Result<DecodedText> d = DecodeText("\xEF\xBB\xBF" + kSwedish);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, kSwedish);
  EXPECT_EQ(d->encoding, "UTF-8 (BOM)");
}

TEST(Encoding, CrLfAndCrBecomeLf) {
  Result<DecodedText> d = DecodeText("rad ett\r\nrad två\rrad tre\r\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, "rad ett\nrad två\nrad tre\n");
}

TEST(Encoding, Windows1252IsDetectedAndConverted) {
  const std::string bytes = testing::ToWindows1252(kSwedish + kSwedish);
  Result<DecodedText> d = DecodeText(bytes);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->encoding, "windows-1252");
  EXPECT_EQ(d->text, kSwedish + kSwedish);
}

TEST(Encoding, Utf16LittleEndianWithBom) {
  // "Hej å" in UTF-16LE with a BOM.
  const std::string bytes("\xFF\xFEH\0e\0j\0 \0\xE5\0", 12);
  Result<DecodedText> d = DecodeText(bytes);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->text, "Hej å");
  EXPECT_EQ(d->encoding, "UTF-16LE (BOM)");
}

TEST(Encoding, InvalidUtf8IsReplacedAndReportedWithOffsets) {
  // Mostly valid UTF-8 (å ä ö), with a stray 0xFF at byte 10 and a truncated
  // sequence (0xC3 then ASCII) later.
  std::string bytes = "Det är bra\xFF och vi ser ";
  const size_t second = bytes.size();
  bytes += "\xC3 fram emot åtgärder för ökad trafik.";
  Result<DecodedText> d = DecodeText(bytes);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->encoding, "UTF-8");
  EXPECT_EQ(d->text,
            "Det är bra\xEF\xBF\xBD och vi ser \xEF\xBF\xBD fram emot åtgärder för ökad trafik.");
  ASSERT_EQ(d->warnings.size(), 1u);
  EXPECT_NE(d->warnings[0].find("2 sequences"), std::string::npos) << d->warnings[0];
  EXPECT_NE(d->warnings[0].find("11, " + std::to_string(second)), std::string::npos)
      << d->warnings[0];
}

TEST(Encoding, TextIsNormalisedToNfc) {
  // "a" + COMBINING RING ABOVE -> "å".
  Result<DecodedText> d = DecodeText("Ta\xCC\x8Al");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, "Tål");
}

TEST(Encoding, NulBytesMeanBinary) {
  Result<DecodedText> d = DecodeText(std::string("PK\x03\x04\0\0\x14\0", 8));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("binary data"), std::string::npos);
}

TEST(Encoding, EmptyIsAnError) {
  Result<DecodedText> d = DecodeText("");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("empty file"), std::string::npos);
}

TEST(Encoding, ControlCharactersBecomeSpaces) {
  Result<DecodedText> d = DecodeText(
      "a\x01"
      "b\tc");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, "a b\tc");
}

// IsDecodedUtf8 is a shortcut for DecodeUtf8(bytes).text == bytes: the two
// must agree on every input.
TEST(Encoding, IsDecodedUtf8AgreesWithDecodeUtf8) {
  const std::string cases[] = {
      "", "plain", "Västra Götaland – ”citat”\n\ttab", "\xEF\xBB\xBFwith BOM", "cr\r\nlf",
      "bell\x07", "del\x7F", "bad \xC3 byte", "overlong \xC0\xAF", "surrogate \xED\xA0\x80",
      "a\xCC\x8A (a + combining ring, not NFC)", "\xC3\xA5 (NFC a-ring)", "nul\0x"};
  for (const std::string& c : cases) {
    EXPECT_EQ(IsDecodedUtf8(c), DecodeUtf8(c).text == c) << c;
  }
  std::mt19937 rng(3);
  const std::string alphabet = "a \n\t\r\x01\x7f\xc3\xa5\xcc\x8a\xe2\x80\x93\xf0\x9f\x98\x80\xed\xa0\xef\xbb\xbf";
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    for (size_t n = rng() % 12; n > 0; --n) s += alphabet[rng() % alphabet.size()];
    EXPECT_EQ(IsDecodedUtf8(s), DecodeUtf8(s).text == s) << s;
  }
}

}  // namespace
}  // namespace samrad::ingest

// Internal to samrad_ingest: bytes of a text file -> valid UTF-8, NFC, LF.
#ifndef SAMRAD_INGEST_ENCODING_H_
#define SAMRAD_INGEST_ENCODING_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace samrad::ingest {

// ICU's charset detector reports a confidence of 0..100; below this we do not
// trust its guess and decode as UTF-8, replacing what is invalid.
inline constexpr int kMinCharsetConfidence = 20;

struct DecodedText {
  std::string text;      // valid UTF-8, NFC, '\n' line ends, no BOM
  std::string encoding;  // "UTF-8", "UTF-8 (BOM)", "UTF-16LE (BOM)", "windows-1252", ...
  std::vector<std::string> warnings;  // e.g. invalid sequences with byte offsets
};

// Decodes the bytes of a text file:
//   1. an empty file is a DataError;
//   2. a byte-order mark (UTF-8, UTF-16, UTF-32) decides the encoding;
//   3. otherwise NUL bytes or many control characters mean binary data (DataError);
//   4. valid UTF-8 is taken as UTF-8; bytes that are mostly valid UTF-8 too;
//   5. otherwise ICU's charset detector picks the charset when its confidence
//      reaches kMinCharsetConfidence (ISO-8859-1 is read as its superset
//      windows-1252), else the bytes are read as UTF-8;
//   6. invalid sequences become U+FFFD and each is reported with its byte offset;
//   7. CRLF and CR become LF; other C0 controls except TAB become spaces;
//   8. the text is normalised to NFC.
Result<DecodedText> DecodeText(std::string_view bytes);

// Decodes bytes that must be UTF-8 (XML parts of a .docx, a .json file) with
// steps 6-8 above; a UTF-8 BOM is dropped. Never fails.
DecodedText DecodeUtf8(std::string_view bytes);

// True when DecodeUtf8(bytes).text would be `bytes` itself: no BOM, valid
// UTF-8, no CR or control characters other than LF and TAB, already NFC.
// Lets a large file that is already clean (the manifest) be used without
// copies.
bool IsDecodedUtf8(std::string_view bytes);

// NFC normalisation of valid UTF-8 (returns the input when already NFC).
std::string ToNfc(std::string_view utf8);

}  // namespace samrad::ingest

#endif  // SAMRAD_INGEST_ENCODING_H_

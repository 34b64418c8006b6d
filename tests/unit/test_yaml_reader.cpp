// The generic YAML reader (sim/io/yaml_reader.hpp): locations, strict types,
// limits, numbers and distributions, seeds.
#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <cmath>
#include <string>

#include "loader_test_support.hpp"
#include "sim/io/yaml_reader.hpp"

namespace credsim {
namespace {

using sim::ScenarioError;
using sim::io::Document;
using sim::io::Node;
using sim::io::Range;

Document parse(const std::string& text) { return Document::from_text(text, "t.yaml"); }

// The full message of the ScenarioError thrown by `f` ("" if none).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(YamlReader, KeepsLocationsAndKeyPaths) {
  const Document doc = parse("a:\n  b: [1, {c: 2}]\n");
  const Node c = doc.root().required("a").required("b").items()[1].required("c");
  EXPECT_EQ(c.path(), "a.b[1].c");
  EXPECT_EQ(c.location().line, 2);
  EXPECT_EQ(c.location().column, 14);
  EXPECT_EQ(c.as_integer(0, 10), 2);
}

TEST(YamlReader, EntriesKeepFileOrder) {
  const Document doc = parse("z: 1\na: 2\nm: 3\n");
  const auto entries = doc.root().entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].key, "z");
  EXPECT_EQ(entries[2].key, "m");
  EXPECT_EQ(entries[2].key_location.line, 3);
}

TEST(YamlReader, SyntaxErrorsAreOneBased) {
  EXPECT_EQ(error_of([] { parse("a: 1\nb: [1, 2\n"); }).rfind("t.yaml:3:1: YAML syntax error", 0), 0u)
      << error_of([] { parse("a: 1\nb: [1, 2\n"); });
}

TEST(YamlReader, DuplicateKeysNameBothPlaces) {
  const std::string e = error_of([] { parse("a:\n  x: 1\n  y: 2\n  x: 3\n"); });
  EXPECT_EQ(e, "t.yaml:4:3: a: key 'x' appears twice (first at line 2), but keys must be unique");
}

TEST(YamlReader, DuplicateKeysInFlowMaps) {
  EXPECT_NE(error_of([] { parse("a: {x: 1, x: 2}\n"); }).find("key 'x' appears twice"), std::string::npos);
}

TEST(YamlReader, SameKeyInDifferentMapsIsFine) {
  EXPECT_NO_THROW(parse("a: {x: 1}\nb: {x: 2}\n"));
}

TEST(YamlReader, TabsInIndentation) {
  EXPECT_EQ(error_of([] { parse("a:\n  b: 1\n\tc: 2\n"); }),
            "t.yaml:3:1: tabs are not allowed for indentation; indent with spaces");
  EXPECT_EQ(error_of([] { parse("a:\n  \tb: 1\n"); }),
            "t.yaml:2:3: tabs are not allowed for indentation; indent with spaces");
  EXPECT_NO_THROW(parse("a:\t1\nb: \"x\ty\"\n"));  // tabs as separators are fine
}

TEST(YamlReader, InvalidUtf8NamesTheCharacterColumn) {
  // "é" is two bytes but one column.
  const std::string e = error_of([] { parse("a: \xc3\xa9\xff\n"); });
  EXPECT_EQ(e.rfind("t.yaml:1:5: contains the byte 0xFF", 0), 0u) << e;
  EXPECT_NE(error_of([] { parse("a: \xed\xa0\x80\n"); }).find("not valid UTF-8"), std::string::npos);  // surrogate
  EXPECT_NE(error_of([] { parse("a: \xc0\xaf\n"); }).find("not valid UTF-8"), std::string::npos);      // overlong
  EXPECT_NO_THROW(parse("a: \"Zelens\xca\xb9kyi \xe2\x80\x94 \xf0\x9f\x98\x80\"\n"));
}

TEST(YamlReader, ControlCharacters) {
  EXPECT_NE(error_of([] { parse(std::string("a: x\0y\n", 7)); }).find("control character U+0000"),
            std::string::npos);
}

TEST(YamlReader, EmptyAndScalarDocuments) {
  EXPECT_TRUE(parse("").empty());
  EXPECT_TRUE(parse("# only a comment\n").empty());
  EXPECT_TRUE(parse("hello\n").root().is_scalar());
}

TEST(YamlReader, UnclosedQuotes) {
  EXPECT_EQ(error_of([] { parse("a: \"abc\nb: 1\n"); }), "t.yaml:1:4: a: the string opened here with \" is never closed");
  EXPECT_NE(error_of([] { parse("a: 'it''s\n"); }).find("with ' is never closed"), std::string::npos);
  EXPECT_EQ(parse("a: 'it''s'\nb: \"q\\\"x\"\n").root().required("b").as_string(), "q\"x");
}

TEST(YamlReader, PathsInParseErrors) {
  EXPECT_EQ(error_of([] { parse("a:\n  - x\n  - {b: !!str 1}\n"); }).rfind("t.yaml:3:9: a[1].b: has the explicit tag '!!str'", 0),
            0u);
}

TEST(YamlReader, OneDocumentOnly) {
  EXPECT_NE(error_of([] { parse("a: 1\n---\nb: 2\n"); }).find("t.yaml:2:1: a second YAML document"),
            std::string::npos);
}

TEST(YamlReader, ExplicitTagsAreRejected) {
  EXPECT_NE(error_of([] { parse("a: !!float 1\n"); }).find("tags are not supported"), std::string::npos);
}

TEST(YamlReader, CheckKeysSuggests) {
  const Document doc = parse("m:\n  resolv: 1\n");
  const Node m = doc.root().required("m");
  EXPECT_EQ(error_of([&] { m.check_keys({"resolve", "interest"}); }),
            "t.yaml:2:3: m: unknown key 'resolv'; did you mean 'resolve'?");
  EXPECT_EQ(error_of([&] { m.check_keys({"alpha", "beta"}); }),
            "t.yaml:2:3: m: unknown key 'resolv'; the keys allowed here are: alpha, beta");
  EXPECT_NE(error_of([] { parse("a:\n  Resolve: 1\n").root().required("a").check_keys({"resolve"}); })
                .find("did you mean 'resolve'?"),
            std::string::npos);
}

TEST(YamlReader, MissingKey) {
  const Document doc = parse("m:\n  a: 1\n");
  EXPECT_EQ(error_of([&] { doc.root().required("m").required("b"); }), "t.yaml:2:3: m: missing required key 'b'");
}

TEST(YamlReader, ClosestMatch) {
  EXPECT_EQ(sim::io::closest_match("usaa", {"usa", "uk"}), "usa");
  EXPECT_EQ(sim::io::closest_match("USA", {"usa", "uk"}), "usa");
  EXPECT_EQ(sim::io::closest_match("france", {"usa", "uk"}), "");
  EXPECT_EQ(sim::io::closest_match("x", {"y"}), "");  // one letter apart is no likeness
}

TEST(YamlScalars, Bools) {
  const Document doc = parse("a: true\nb: False\nc: yes\nd: \"true\"\n");
  EXPECT_TRUE(doc.root().required("a").as_bool());
  EXPECT_FALSE(doc.root().required("b").as_bool());
  EXPECT_EQ(error_of([&] { doc.root().required("c").as_bool(); }), "t.yaml:3:4: c: is 'yes', but must be true or false");
  EXPECT_NE(error_of([&] { doc.root().required("d").as_bool(); }).find("is the string \"true\""), std::string::npos);
}

TEST(YamlScalars, Integers) {
  const Document doc = parse("a: 12\nb: 0\nc: 1.5\nd: 99999999999999999999999\ne: +7\nf: 0x10\n");
  const Node r = doc.root();
  EXPECT_EQ(r.required("a").as_integer(1, 1200), 12);
  EXPECT_EQ(r.required("e").as_integer(1, 1200), 7);
  EXPECT_EQ(error_of([&] { r.required("b").as_integer(1, 1200); }),
            "t.yaml:2:4: b: is 0, but must be an integer in [1, 1200]");
  EXPECT_NE(error_of([&] { r.required("c").as_integer(1, 1200); }).find("is 1.5, but must be an integer"),
            std::string::npos);
  EXPECT_NE(error_of([&] { r.required("d").as_integer(1, 1200); }).find("must be an integer"), std::string::npos);
  EXPECT_NE(error_of([&] { r.required("f").as_integer(1, INT_MAX); }).find("must be an integer ≥ 1"),
            std::string::npos);
}

TEST(YamlScalars, DoublesAcceptDecimalForms) {
  const Document doc = parse("a: [1, -0.5, .5, +2, 1e3, 1.5E-2, 3.]\n");
  const auto items = doc.root().required("a").items();
  const double expected[] = {1, -0.5, 0.5, 2, 1000, 0.015, 3};
  for (std::size_t i = 0; i < items.size(); ++i) EXPECT_DOUBLE_EQ(items[i].as_double(), expected[i]);
}

TEST(YamlScalars, DoublesRejectNonFiniteAndOddForms) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {".nan", "is .nan, but must be a finite number"},
      {".inf", "is .inf, but must be a finite number"},
      {"-.inf", "is -.inf, but must be a finite number"},
      {".NaN", "is .NaN, but must be a finite number"},
      {"nan", "is 'nan', but must be a finite number"},
      {"1e999", "is 1e999, which is outside the range of a double, but must be a finite number"},
      {"0x1F", "is 0x1F, but must be a decimal number"},
      {"0o17", "is 0o17, but must be a decimal number"},
      {"1,000", "is 1,000, but must be a number"},
      {"1_000", "is 1_000, but must be a number"},
      {"\"0.5\"", "is the string \"0.5\", but must be a number (written without quotes)"},
      {"strong", "is 'strong', but must be a number"},
      {"true", "is true, but must be a number"},
      {"[1]", "is a list, but must be a number"},
      {"{a: 1}", "is a map, but must be a number"},
      {"", "is empty, but must be a number"},
  };
  for (const Case& c : cases) {
    const Document doc = parse(std::string("x: ") + c.text + "\n");
    const std::string e = error_of([&] { doc.root().required("x").as_double(); });
    EXPECT_NE(e.find(std::string("x: ") + c.message), std::string::npos) << c.text << " -> " << e;
  }
}

TEST(YamlScalars, RangeRules) {
  EXPECT_EQ(Range::finite().rule(), "a finite number");
  EXPECT_EQ(Range::at_least(0).rule(), "≥ 0");
  EXPECT_EQ(Range::above(0).rule(), "> 0");
  EXPECT_EQ(Range::unit().rule(), "in [0, 1]");
  EXPECT_EQ(Range::open(-1, 1).rule(), "in (-1, 1)");
  EXPECT_EQ(Range::closed(0, 0.5).because("why").rule(), "in [0, 0.5] (why)");
  EXPECT_TRUE(Range::above(0).contains(1e-300));
  EXPECT_FALSE(Range::above(0).contains(0));
  EXPECT_FALSE(Range::open(-1, 1).contains(1));
  EXPECT_TRUE(Range::unit().contains(1));
}

TEST(YamlLimits, NestingLimit) {
  std::string ok, deep;
  for (int i = 0; i < sim::io::kMaxNesting; ++i) ok += "[";
  for (int i = 0; i < sim::io::kMaxNesting; ++i) ok += "]";
  EXPECT_NO_THROW(parse(ok));
  for (int i = 0; i < 100000; ++i) deep += "[";
  for (int i = 0; i < 100000; ++i) deep += "]";
  EXPECT_NE(error_of([&] { parse(deep); }).find("nesting is more than 64 levels deep"), std::string::npos);
}

TEST(YamlLimits, AliasesAreSharedAndBounded) {
  const Document doc = parse("a: &x {v: 1}\nb: *x\n");
  EXPECT_EQ(doc.root().required("b").required("v").as_integer(0, 9), 1);
  EXPECT_EQ(doc.root().required("b").required("v").path(), "b.v");
  EXPECT_NE(error_of([] { parse("a: &x [1, *x]\n"); }).find("alias '*x' refers to a node that contains it"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse("a: *nowhere\n"); }).find("YAML syntax error"), std::string::npos);
  // Nine levels of ten-fold repetition: 10^9 nodes once expanded.
  std::string bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    const std::string p = "*l" + std::to_string(i - 1);
    bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [" + p + ", " + p + ", " + p + ", " + p + ", " +
            p + ", " + p + ", " + p + ", " + p + ", " + p + ", " + p + "]\n";
  }
  EXPECT_NE(error_of([&] { parse(bomb); }).find("more than 1000000 nodes"), std::string::npos);
}

TEST(YamlLimits, AliasNestingCountsExpandedDepth) {
  std::string text = "a0: &a0 [1]\n";
  for (int i = 1; i <= 70; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + "]\n";
  }
  EXPECT_NE(error_of([&] { parse(text); }).find("nests more than 64 levels deep"), std::string::npos);
}

TEST(YamlLimits, SizeLimit) {
  const std::string big(sim::io::kMaxFileBytes + 1, '#');
  EXPECT_EQ(error_of([&] { parse(big); }),
            "t.yaml:1:1: file is " + std::to_string(big.size()) + " bytes, but must be at most 16 MiB");
}

// Issue 18, item 9: yaml-cpp took 30 s and 3.9 GB on 16 MiB of '[' (and then
// said "has a map or a list as a key"); the pre-scan stops at the 65th.
TEST(YamlLimits, OpenBracketsFailFastAtTheFirstTooDeep) {
  const std::string brackets(sim::io::kMaxFileBytes - 1, '[');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of([&] { parse(brackets); }),
            "t.yaml:1:65: nesting is more than 64 levels deep, but files must nest at most 64 levels");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(error_of([] { parse("a:\n  b: " + std::string(100, '{')); }),
            "t.yaml:2:70: nesting is more than 64 levels deep, but files must nest at most 64 levels");
}

// yaml-cpp keeps every token of a list inside a list until it closes: 5M items
// took 1.4 GB, then "has a map or a list as a key".
TEST(YamlLimits, LongListInsideAListIsRefusedAtItsBracket) {
  std::string text = "a: [[";
  for (int i = 0; i < 400000; ++i) text += "x, ";
  EXPECT_EQ(error_of([&] { parse(text); }),
            "t.yaml:1:5: this '[' inside another '[' or '{' spans more than 1 MiB, but nested lists and maps must be "
            "shorter (write long lists one '- item' per line)");
  EXPECT_NO_THROW(parse("a: [" + text.substr(5) + "x]\n"));  // one level: streamed, fine
}

// The pre-scan must not count brackets the parser does not see as nesting.
TEST(YamlLimits, BracketsInTextDoNotCountAsNesting) {
  const std::string many(100, '[');
  const std::string text = "a: '" + many + "'\n"                         // single-quoted
                           "b: \"" + many + "\\\"\"\n"                   // double-quoted, escaped quote
                           "c: x" + many + "\n"                          // plain text
                           "# " + many + "\n"                            // a comment
                           "d: [1, 2]  # " + many + "\n"                 // a comment after a list
                           "e: |\n  " + many + "\n  more " + many + "\n"  // a block scalar
                           "f:\n  - >-\n    " + many + "\n"              // a folded one in a list
                           "g: {'k': '" + many + "', \"j\":\"" + many + "\"}\n"  // quoted in a flow map
                           "h: it's " + many + "\n";                     // an apostrophe in plain text
  const Document doc = parse(text);
  EXPECT_EQ(doc.root().required("e").as_string(), many + "\nmore " + many + "\n");
  EXPECT_EQ(doc.root().required("g").required("j").as_string(), many);
  EXPECT_EQ(doc.root().required("h").as_string(), "it's " + many);
}

// Issue 18, item 13: yaml-cpp does not end a line at a lone CR, so a file
// saved with old Mac line endings read as one comment: "the file is empty".
TEST(YamlReader, LoneCarriageReturnsAreRefused) {
  EXPECT_EQ(error_of([] { parse("# a comment\rcredsim: 1\rname: x\r"); }),
            "t.yaml:1:12: has a line ending with CR alone (old Mac style), but lines must end with LF or CR LF");
  EXPECT_NO_THROW(parse("# a comment\r\ncredsim: 1\r\n"));
}

// Issue 18, item 13: without aliases, "aliases expand the document" was misleading.
TEST(YamlLimits, ManyNodesWithoutAliasesSaySo) {
  std::string text;
  for (int i = 0; i <= 500000; ++i) text += "k" + std::to_string(i) + ": 1\n";
  const std::string e = error_of([&] { parse(text); });
  EXPECT_NE(e.find("the document has more than 1000000 nodes (keys and values), but it must have at most 1000000"),
            std::string::npos)
      << e;
}

sim::io::NumericField field(const std::string& text, const Range& range) {
  const Document doc = parse("f: " + text + "\n");
  return sim::io::read_number_or_distribution(doc.root().required("f"), range);
}

std::string field_error(const std::string& text, const Range& range) {
  return error_of([&] { field(text, range); });
}

TEST(YamlNumbers, ConstantsAndValues) {
  const auto a = field("0.25", Range::unit());
  EXPECT_TRUE(a.is_constant());
  EXPECT_EQ(a.value(), 0.25);
  EXPECT_EQ(a.key_path, "f");
  EXPECT_TRUE(a.provenance.empty());
  const auto b = field("{value: 3, assumption: \"judged\"}", Range::at_least(0));
  EXPECT_EQ(b.value(), 3);
  EXPECT_EQ(b.provenance.assumption, "judged");
  EXPECT_EQ(field_error("1.5", Range::unit()), "t.yaml:1:4: f: is 1.5, but must be in [0, 1]");
  EXPECT_EQ(field_error("{value: -1}", Range::at_least(0)), "t.yaml:1:12: f.value: is -1, but must be ≥ 0");
}

TEST(YamlNumbers, Distributions) {
  const auto d = field("{dist: beta, a: 2, b: 3}", Range::unit());
  EXPECT_EQ(d.distribution.kind(), sim::DistKind::beta);
  EXPECT_NEAR(d.value(), 0.4, 1e-12);
  EXPECT_EQ(field("{dist: uniform, low: 1, high: 3}", Range::finite()).value(), 2);
  EXPECT_EQ(field("{dist: discrete, values: [1, 2], weights: [1, 3]}", Range::finite()).value(), 1.75);
  EXPECT_EQ(field("{dist: bernoulli, p: 0.3}", Range::unit()).value(), 0.3);
  EXPECT_EQ(field("{dist: triangular, low: 0, mode: 1, high: 2}", Range::above(0)).value(), 1);
  EXPECT_NO_THROW(field("{dist: truncated_normal, mean: 1, sd: 1, low: 0, high: 2}", Range::at_least(0)));
  // A continuous law never takes the open bound itself.
  EXPECT_NO_THROW(field("{dist: lognormal, meanlog: 0, sdlog: 0.5}", Range::above(0)));
}

TEST(YamlNumbers, SupportMustFitTheField) {
  EXPECT_EQ(field_error("{dist: normal, mean: 0.5, sd: 0.1}", Range::unit()),
            "t.yaml:1:4: f: normal has unbounded support, but the field must be in [0, 1]");
  EXPECT_EQ(field_error("{dist: uniform, low: -0.5, high: 0.5}", Range::unit()),
            "t.yaml:1:4: f: uniform has support [-0.5, 0.5], but the field must be in [0, 1]");
  EXPECT_EQ(field_error("{dist: bernoulli, p: 0.5}", Range::above(0)),
            "t.yaml:1:4: f: bernoulli can take the value 0, but the field must be > 0");
  EXPECT_EQ(field_error("{dist: discrete, values: [0.5, 2], weights: [1, 1]}", Range::unit()),
            "t.yaml:1:4: f: discrete can take the value 2, but the field must be in [0, 1]");
  // A value of weight 0 is never drawn.
  EXPECT_NO_THROW(field("{dist: discrete, values: [0.5, 2], weights: [1, 0]}", Range::unit()));
}

TEST(YamlNumbers, ParameterErrorsPointAtTheParameter) {
  EXPECT_EQ(field_error("{dist: beta, a: 0, b: 2}", Range::unit()),
            "t.yaml:1:20: f: beta: a is 0, but must be > 0");
  const std::string e = field_error("\n  dist: normal\n  mean: 1\n  sd: -1\n", Range::finite());
  EXPECT_EQ(e.rfind("t.yaml:4:7: f: normal: sd is -1", 0), 0u) << e;
}

TEST(YamlNumbers, FormErrors) {
  EXPECT_NE(field_error("{dist: gaussian, mean: 0, sd: 1}", Range::finite())
                .find("is 'gaussian', but must be one of uniform, normal, truncated_normal"),
            std::string::npos);
  EXPECT_NE(field_error("{dist: Normal, mean: 0, sd: 1}", Range::finite()).find("did you mean 'normal'?"),
            std::string::npos);
  EXPECT_NE(field_error("{dist: normal, mean: 0}", Range::finite()).find("f: missing required key 'sd'"),
            std::string::npos);
  EXPECT_NE(field_error("{dist: normal, mean: 0, sd: 1, scale: 2}", Range::finite()).find("unknown key 'scale'"),
            std::string::npos);
  EXPECT_NE(field_error("{value: 1, dist: normal}", Range::finite()).find("has both 'value' and 'dist'"),
            std::string::npos);
  EXPECT_NE(field_error("{vlaue: 1}", Range::finite()).find("did you mean 'value'?"), std::string::npos);
  EXPECT_NE(field_error("{assumption: x}", Range::finite()).find("is a map without 'value' or 'dist'"),
            std::string::npos);
  EXPECT_NE(field_error("[1, 2]", Range::finite()).find("is a list, but must be a number or a distribution"),
            std::string::npos);
  EXPECT_NE(field_error("{dist: discrete, values: [1, 2], weights: [1]}", Range::finite())
                .find("has 1 weight for 2 values, but must have one weight per value"),
            std::string::npos);
  EXPECT_NE(field_error("{value: 1, assumption: x, source: {seed: \"001\", quote: q}}", Range::finite())
                .find("has both 'source' and 'assumption'"),
            std::string::npos);
  EXPECT_NE(field_error("{value: 1, assumption: \"  \"}", Range::finite()).find("must be a non-empty reason"),
            std::string::npos);
}

TEST(YamlSeeds, PrefixAndFullName) {
  const test::ScopedSeeds seeds;
  const sim::io::SeedCatalog catalog = sim::io::SeedCatalog::locate(".");
  ASSERT_TRUE(catalog.has_folder());
  std::string why;
  EXPECT_EQ(catalog.resolve("002", why), "002_537cde15b9f0378c.txt");
  EXPECT_EQ(catalog.resolve("002_537cde15b9f0378c.txt", why), "002_537cde15b9f0378c.txt");
  EXPECT_EQ(catalog.resolve("999", why), "");
  EXPECT_NE(why.find("no file starts with '999'"), std::string::npos);
  EXPECT_EQ(catalog.resolve("002_nope.txt", why), "");
  EXPECT_EQ(catalog.resolve("2", why), "");
  EXPECT_NE(why.find("3-digit prefix"), std::string::npos);
}

// Checked against the folder, recorded as written: outputs must not depend on
// whether the machine has the seed folder.
TEST(YamlSeeds, SourceIsRecordedAsWritten) {
  const test::ScopedSeeds seeds;
  const Document doc = Document::from_text("f: {value: 1, source: {seed: 003, quote: \"ratified\"}}\n", "t.yaml",
                                           sim::io::SeedCatalog::locate("."));
  const auto f = sim::io::read_number_or_distribution(doc.root().required("f"), Range::finite());
  EXPECT_EQ(f.provenance.seed, "003");
  EXPECT_EQ(f.provenance.quote, "ratified");
  EXPECT_THROW(sim::io::read_number_or_distribution(
                   Document::from_text("f: {value: 1, source: {seed: 009, quote: \"x\"}}\n", "t.yaml",
                                       sim::io::SeedCatalog::locate("."))
                       .root()
                       .required("f"),
                   Range::finite()),
               sim::ScenarioError);
}

TEST(YamlSeeds, LocateWalksUpToSharedSeeds) {
  const test::ScopedEnv no_env("CREDSIM_SEEDS_DIR", std::nullopt);
  const test::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "shared" / "seeds");
  std::filesystem::create_directories(tmp.path() / "main" / "scenarios");
  test::write_text(tmp.path() / "shared" / "seeds" / "007_x.txt", "");
  const auto catalog = sim::io::SeedCatalog::locate(tmp.path() / "main" / "scenarios");
  EXPECT_EQ(catalog.folder(), tmp.path() / "shared" / "seeds");
  std::string why;
  EXPECT_EQ(catalog.resolve("007", why), "007_x.txt");
}

TEST(YamlSeeds, WithoutAFolderOnlyTheFormIsChecked) {
  const sim::io::SeedCatalog none;
  std::string why;
  EXPECT_EQ(none.resolve("123", why), "123");
  EXPECT_EQ(none.resolve("123_anything.txt", why), "123_anything.txt");
  EXPECT_EQ(none.resolve("abc", why), "");
}

TEST(YamlSeeds, AMissingEnvFolderIsAnError) {
  const test::ScopedEnv env("CREDSIM_SEEDS_DIR", "/nonexistent/credsim/seeds");
  std::string why;
  EXPECT_EQ(sim::io::SeedCatalog::locate(".").resolve("001", why), "");
  EXPECT_NE(why.find("is not a directory"), std::string::npos);
}

}  // namespace
}  // namespace credsim

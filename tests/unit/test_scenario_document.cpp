// Setting scenario values by key path, errors naming the nearest valid paths,
// and the emitted text reading back as the same document.
#include <gtest/gtest.h>

#include "sim/io/scenario_document.hpp"
#include "sim/io/yaml_reader.hpp"

namespace credsim::sim::io {
namespace {

const char* kText =
    "name: demo\n"
    "label: \"007\"\n"
    "guarantors:\n"
    "  usa: {name: United States, resolve: {dist: beta, a: 2, b: 3}, nuclear: true}\n"
    "  uk: {name: \"United Kingdom, the\", resolve: 0.8}\n"
    "options:\n"
    "  - name: art5_style\n"
    "    commitments:\n"
    "      - {guarantor: usa, instrument: ambiguous_treaty}\n"
    "  - name: budapest\n"
    "    commitments: []\n";

TEST(ScenarioDocument, SetsByKeyPathIncludingNamedListItems) {
  auto doc = ScenarioDocument::from_text(kText, "demo.yaml");
  doc.set_scalar("guarantors.usa.resolve", "1.2", false);
  doc.set_scalar("options.art5_style.commitments[0].ambiguity", "0.25", false);  // created
  doc.set_scalar("options[0].commitments[0].guarantor", "uk", true);
  EXPECT_EQ(doc.scalar("guarantors.usa.resolve"), "1.2");
  EXPECT_EQ(doc.scalar("options.art5_style.commitments[0].ambiguity"), "0.25");
  EXPECT_EQ(doc.scalar("options.art5_style.commitments[0].guarantor"), "uk");
  EXPECT_TRUE(doc.has("options.budapest.commitments"));
  EXPECT_FALSE(doc.has("options.nato.commitments"));
}

TEST(ScenarioDocument, EmittedTextReadsBackWithTypesKept) {
  auto doc = ScenarioDocument::from_text(kText, "demo.yaml");
  doc.set_scalar("guarantors.uk.resolve", "0.9", false);
  const Document back = Document::from_text(doc.to_yaml(), "emitted.yaml");
  const Node root = back.root();
  EXPECT_EQ(root.required("label").as_string(), "007");
  EXPECT_TRUE(root.required("label").quoted());  // a quoted string stays a string
  EXPECT_DOUBLE_EQ(root.required("guarantors").required("uk").required("resolve").as_double(), 0.9);
  EXPECT_EQ(root.required("guarantors").required("uk").required("name").as_string(), "United Kingdom, the");
  EXPECT_TRUE(root.required("guarantors").required("usa").required("nuclear").as_bool());
  EXPECT_EQ(ScenarioDocument::from_text(doc.to_yaml(), "x").to_yaml(), doc.to_yaml());
}

TEST(ScenarioDocument, MissingPathNamesTheNearestValidOnes) {
  auto doc = ScenarioDocument::from_text(kText, "demo.yaml");
  try {
    doc.set_scalar("guarantors.usaa.resolve", "1", false, {"sweep.yaml", 7, 5});
    FAIL();
  } catch (const ScenarioError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("sweep.yaml:7:5: guarantors.usaa.resolve:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'guarantors.usaa' does not exist"), std::string::npos) << msg;
    EXPECT_NE(msg.find("nearest valid key paths: guarantors.usa.resolve"), std::string::npos) << msg;
  }
  EXPECT_THROW(doc.set_scalar("options.art5.commitments[0].ambiguity", "0", false), ScenarioError);
  EXPECT_THROW(doc.set_scalar("options.art5_style.commitments[3].ambiguity", "0", false), ScenarioError);
  EXPECT_THROW(doc.set_scalar("options", "0", false), ScenarioError);  // a list, not a value
  EXPECT_THROW(doc.set_scalar("a..b", "0", false), ScenarioError);
}

TEST(ScenarioDocument, ListsKeyPathsByName) {
  const auto doc = ScenarioDocument::from_text(kText, "demo.yaml");
  const auto paths = doc.key_paths();
  EXPECT_NE(std::find(paths.begin(), paths.end(), "options.art5_style.commitments[0].instrument"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "guarantors.usa.resolve.a"), paths.end());
  EXPECT_EQ(doc.nearest_key_paths("guarantors.uk.resolv", 1).at(0), "guarantors.uk.resolve");
}

}  // namespace
}  // namespace credsim::sim::io

// Designs: grid order and ids, Latin hypercube stratification, the Sobol'
// sequence's first points, real/integer/categorical factors, CSV points.
#include <gtest/gtest.h>

#include <set>

#include "sim/design.hpp"
#include "sim/sweep_file.hpp"
#include "temp_dir.hpp"

namespace credsim::sim {
namespace {

Factor real(const std::string& name, double lo, double hi, int steps = 0) {
  Factor f;
  f.name = f.key_path = name;
  f.low = lo;
  f.high = hi;
  f.steps = steps;
  return f;
}

Factor categorical(const std::string& name, std::vector<std::string> levels) {
  Factor f;
  f.name = f.key_path = name;
  f.kind = FactorKind::categorical;
  for (std::size_t i = 0; i < levels.size(); ++i) f.levels.push_back({levels[i], static_cast<double>(i), true});
  return f;
}

TEST(DesignGrid, FirstFactorSlowestAndStableIds) {
  DesignSpec d;
  d.kind = DesignKind::grid;
  Factor i = real("i", 1, 3);
  i.kind = FactorKind::integer;
  const std::vector<Factor> factors = {real("x", 0, 1, 3), i, categorical("who", {"usa", "uk"})};
  const auto points = make_design(d, factors);
  ASSERT_EQ(points.size(), 3u * 3u * 2u);
  EXPECT_EQ(points[0][0].text, "0");
  EXPECT_EQ(points[0][1].text, "1");
  EXPECT_EQ(points[0][2].text, "usa");
  EXPECT_EQ(points[1][2].text, "uk");
  EXPECT_EQ(points[2][1].text, "2");
  EXPECT_EQ(points[6][0].text, "0.5");
  EXPECT_EQ(points[17][0].text, "1");
  EXPECT_EQ(points[17][1].text, "3");
  EXPECT_TRUE(points[17][2].quoted);
  EXPECT_EQ(make_design(d, factors)[11][0].text, points[11][0].text);  // same design, same ids
}

TEST(DesignLhs, EveryStratumOnceInEveryDimension) {
  const std::uint64_t n = 50;
  const auto pts = lhs_unit(4, n, 7);
  ASSERT_EQ(pts.size(), n);
  for (std::size_t d = 0; d < 4; ++d) {
    std::set<std::uint64_t> cells;
    for (const auto& p : pts) {
      ASSERT_GE(p[d], 0.0);
      ASSERT_LT(p[d], 1.0);
      cells.insert(static_cast<std::uint64_t>(p[d] * static_cast<double>(n)));
    }
    EXPECT_EQ(cells.size(), n) << "dimension " << d;
  }
  EXPECT_EQ(lhs_unit(4, n, 7), pts);  // deterministic given the seed
  EXPECT_NE(lhs_unit(4, n, 8), pts);
}

TEST(DesignSobol, FirstPointsMatchTheSequence) {
  // Sobol' (Joe-Kuo) in 2 dimensions after the all-zero point.
  const auto p = sobol_unit(2, 6);
  const double expect[6][2] = {{0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}};
  for (int i = 0; i < 6; ++i) {
    EXPECT_DOUBLE_EQ(p[i][0], expect[i][0]) << i;
    EXPECT_DOUBLE_EQ(p[i][1], expect[i][1]) << i;
  }
  const auto skipped = sobol_unit(2, 2, 4);
  EXPECT_DOUBLE_EQ(skipped[0][0], 0.875);
}

TEST(DesignFactor, IntegerAndCategoricalFromUnit) {
  Factor i = real("i", 12, 48);
  i.kind = FactorKind::integer;
  EXPECT_EQ(i.at_unit(0.0).text, "12");
  EXPECT_EQ(i.at_unit(0.999999).text, "48");
  EXPECT_EQ(i.at_unit(1.0).text, "48");
  std::set<std::string> seen;
  for (double u = 0.0; u < 1.0; u += 0.001) seen.insert(i.at_unit(u).text);
  EXPECT_EQ(seen.size(), 37u);
  const Factor c = categorical("who", {"usa", "uk", "france"});
  EXPECT_EQ(c.at_unit(0.1).text, "usa");
  EXPECT_EQ(c.at_unit(0.5).text, "uk");
  EXPECT_EQ(c.at_unit(1.0).text, "france");
  EXPECT_DOUBLE_EQ(c.at_unit(1.0).number, 2.0);
}

TEST(DesignCsv, PointsFromAFileByColumnName) {
  test::TempDir dir;
  test::write_text(dir / "p.csv", "# my points\nwho,x\nuk,0.3\nusa,1e-1\n");
  DesignSpec d;
  d.kind = DesignKind::csv;
  d.csv_file = (dir / "p.csv").string();
  const auto pts = make_design(d, {real("x", 0, 1), categorical("who", {"usa", "uk"})});
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_EQ(pts[0][0].text, "0.3");
  EXPECT_EQ(pts[0][1].text, "uk");
  EXPECT_EQ(pts[1][0].text, "0.1");
  test::write_text(dir / "p.csv", "who,x\nrussia,0.3\n");
  try {
    make_design(d, {real("x", 0, 1), categorical("who", {"usa", "uk"})});
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("p.csv:2:1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'russia' is not one of its levels"), std::string::npos) << e.what();
  }
}

TEST(DesignSweepFile, FactorKindsAndErrorsWithPlaces) {
  const std::string text =
      "credsim_sweep: 1\nscenario: x.yaml\ntrials: 10\nfactors:\n"
      "  - {path: a.b, range: [0, 1], steps: 3}\n"
      "  - {path: a.c, type: integer, range: [1, 4]}\n"
      "  - {path: a.d, levels: [usa, uk]}\n"
      "  - {path: a.e, levels: [0.1, 0.2]}\n"
      "design: {type: lhs, points: 8, seed: 3}\n";
  const SweepFile f = read_sweep_text(text, "dir/s.yaml");
  ASSERT_EQ(f.factors.size(), 4u);
  EXPECT_EQ(f.factors[0].kind, FactorKind::real);
  EXPECT_EQ(f.factors[1].kind, FactorKind::integer);
  EXPECT_EQ(f.factors[2].kind, FactorKind::categorical);
  EXPECT_EQ(f.factors[3].kind, FactorKind::real);
  EXPECT_EQ(f.scenario_path, "dir/x.yaml");
  EXPECT_EQ(make_design(*f.design, f.factors).size(), 8u);
  try {
    read_sweep_text("credsim_sweep: 1\nscenario: x.yaml\ntrials: 10\nfactors:\n  - {path: a, range: [0, 1]}\n"
                    "design: {type: grdi}\n",
                    "s.yaml");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("s.yaml:6:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("did you mean 'grid'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace credsim::sim

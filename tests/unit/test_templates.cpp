// The RTL template specializer: conditionals, nesting, substitution and template defects.
#include <gtest/gtest.h>

#include <stdexcept>

#include "generator/templates.h"

using fusegen::render_template;
using fusegen::TemplateContext;

TEST(Templates, SubstitutesVariables) {
  TemplateContext ctx;
  ctx.vars = {{"Name", "foo"}, {"Rows", "4"}};
  EXPECT_EQ(render_template("module ${Name}_pe #(parameter R = ${Rows});\n", ctx),
            "module foo_pe #(parameter R = 4);\n");
}

TEST(Templates, ConditionalBlocksAndNesting) {
  const char* t =
      "a\n"
      "//#if STOS\n"
      "b\n"
      "  //#if !WIDE\n"
      "c\n"
      "  //#else\n"
      "d\n"
      "  //#endif\n"
      "//#else\n"
      "e\n"
      "//#endif\n"
      "f\n";
  TemplateContext on;
  on.flags = {"STOS"};
  EXPECT_EQ(render_template(t, on), "a\nb\nc\nf\n");
  on.flags.insert("WIDE");
  EXPECT_EQ(render_template(t, on), "a\nb\nd\nf\n");
  TemplateContext off;
  off.flags = {"WIDE"};  // inner flag must not leak out of an inactive outer block
  EXPECT_EQ(render_template(t, off), "a\ne\nf\n");
}

TEST(Templates, DefectsAreReported) {
  TemplateContext ctx;
  EXPECT_THROW(render_template("${Missing}\n", ctx), std::logic_error);
  EXPECT_THROW(render_template("//#if X\n", ctx), std::logic_error);
  EXPECT_THROW(render_template("//#endif\n", ctx), std::logic_error);
  EXPECT_THROW(render_template("${Open\n", ctx), std::logic_error);
}

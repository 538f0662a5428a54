// RTL templates: the Verilog sources under rtl_templates/, embedded in the binary at build time
// (cmake/embed_templates.cmake), and the small text specializer the emitters use on them.
//
// Template syntax, line oriented so templates stay valid-looking Verilog:
//   ${Name}          replaced by the variable Name (an unknown name is an internal error)
//   //#if FLAG       keeps the following lines only if FLAG is set (also //#if !FLAG)
//   //#else          the other branch
//   //#endif         ends the block; blocks nest
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace fusegen {

// Every file under rtl_templates/, keyed by its path relative to that folder ("array/pe.v").
const std::map<std::string, std::string_view>& embedded_templates();

// The text of one template; throws std::logic_error if it is not embedded.
std::string_view template_text(const std::string& path);

struct TemplateContext {
  std::map<std::string, std::string> vars;  // ${Name} -> value
  std::set<std::string> flags;              // names that are true for //#if
};

// Specializes a template's text. Throws std::logic_error on unbalanced //#if blocks or unknown
// variables: those are defects in the template, not user errors.
std::string render_template(std::string_view text, const TemplateContext& ctx);

}  // namespace fusegen

// Template specializer: line-based //#if FLAG / //#else / //#endif blocks, then ${Name}
// substitution on the kept lines.
#include "generator/templates.h"

#include <stdexcept>
#include <vector>

namespace fusegen {

std::string_view template_text(const std::string& path) {
  const auto& t = embedded_templates();
  auto it = t.find(path);
  if (it == t.end()) throw std::logic_error("RTL template not embedded: " + path);
  return it->second;
}

namespace {

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string substitute(std::string_view line, const TemplateContext& ctx) {
  std::string out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '$' && i + 1 < line.size() && line[i + 1] == '{') {
      size_t end = line.find('}', i + 2);
      if (end == std::string_view::npos) throw std::logic_error("template: unterminated ${");
      std::string name(line.substr(i + 2, end - i - 2));
      auto it = ctx.vars.find(name);
      if (it == ctx.vars.end()) throw std::logic_error("template: unknown variable ${" + name + "}");
      out += it->second;
      i = end + 1;
    } else {
      out += line[i++];
    }
  }
  return out;
}

}  // namespace

std::string render_template(std::string_view text, const TemplateContext& ctx) {
  std::string out;
  // Stack of (this block is active, some branch was taken) for nested //#if blocks.
  struct Frame { bool active; bool parent_active; };
  std::vector<Frame> stack;
  auto active = [&] { return stack.empty() || stack.back().active; };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view t = trim(line);
    if (t.rfind("//#if ", 0) == 0) {
      std::string_view cond = trim(t.substr(6));
      bool neg = !cond.empty() && cond[0] == '!';
      if (neg) cond = trim(cond.substr(1));
      bool v = ctx.flags.count(std::string(cond)) > 0;
      if (neg) v = !v;
      bool parent = active();
      stack.push_back({parent && v, parent});
      continue;
    }
    if (t == "//#else") {
      if (stack.empty()) throw std::logic_error("template: //#else without //#if");
      Frame& f = stack.back();
      f.active = f.parent_active && !f.active;
      continue;
    }
    if (t == "//#endif") {
      if (stack.empty()) throw std::logic_error("template: //#endif without //#if");
      stack.pop_back();
      continue;
    }
    if (!active()) continue;
    out += substitute(line, ctx);
    out += '\n';
  }
  if (!stack.empty()) throw std::logic_error("template: unterminated //#if");
  return out;
}

}  // namespace fusegen

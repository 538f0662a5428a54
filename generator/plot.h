// SVG plots through gnuplot (Debian package gnuplot-nox): a plot is a gnuplot script plus the
// data files it reads, run in a scratch directory; the SVG it writes is returned as text so
// that the caller can stage it with the script and data in an OutputSet (all-or-nothing).
#pragma once

#include <map>
#include <string>

namespace fusegen {

// The gnuplot executable found in PATH, or "" if there is none.
std::string find_gnuplot();

// Throws fusegen::Error naming the Debian package to install if gnuplot is not in PATH.
void require_gnuplot(const std::string& option);

// Runs `script` (which reads `data` files by their relative names and sets its output to
// `svg_name`) with gnuplot in a scratch directory and returns the SVG text. Throws
// fusegen::Error if gnuplot fails or writes nothing.
std::string render_svg(const std::string& script, const std::map<std::string, std::string>& data,
                       const std::string& svg_name);

// `s` quoted for a gnuplot string ('...', with ' doubled).
std::string gnuplot_quote(const std::string& s);

}  // namespace fusegen

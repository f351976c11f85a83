#include "core/disorder/disorder.h"
#include "core/io/file_util.h"

#include <charconv>
#include <cmath>

namespace motifscope::disorder {

namespace {

void number(std::string& out, double v)
{
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buffer[32]; // six significant digits, shortest form, locale-free
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::general, 6);
    out.append(buffer, ec == std::errc() ? end : buffer);
}

void interval(std::string& out, const Interval& ci)
{
    if (!std::isfinite(ci.lo) || !std::isfinite(ci.hi)) {
        out += "null";
        return;
    }
    out += '[';
    number(out, ci.lo);
    out += ", ";
    number(out, ci.hi);
    out += ']';
}

/** `"name": value,\n  "name_ci": [lo, hi]` */
void estimate(std::string& out, const char* name, const Estimate& e)
{
    out += ",\n  \"" + std::string(name) + "\": ";
    number(out, e.value);
    out += ",\n  \"" + std::string(name) + "_ci\": ";
    interval(out, e.defined() ? e.ci : Interval{NAN, NAN});
}

/** `"name": [v, ...],\n  "name_ci": [[lo, hi], ...]` */
void estimates(std::string& out, const char* name, const std::vector<Estimate>& list)
{
    out += ",\n  \"" + std::string(name) + "\": [";
    for (std::size_t i = 0; i < list.size(); ++i) {
        out += i ? ", " : "";
        number(out, list[i].value);
    }
    out += "],\n  \"" + std::string(name) + "_ci\": [";
    for (std::size_t i = 0; i < list.size(); ++i) {
        out += i ? ", " : "";
        interval(out, list[i].ci);
    }
    out += ']';
}

} // namespace

std::string disorderJsonText(const DisorderReport& r)
{
    std::string out = "{\n  \"columns\": " + std::to_string(r.columns) +
                      ",\n  \"assigned_columns\": " + std::to_string(r.assignedColumns) +
                      ",\n  \"motifs\": " + std::to_string(r.motifs);
    estimate(out, "motif_entropy_bits", r.motifEntropy);
    out += ",\n  \"route\": " + (r.route.empty() ? std::string("null") : "\"" + r.route + "\"");
    estimates(out, "level_entropy_bits", r.levelEntropy);
    // No interval here: resamples lose rare motifs, so a bootstrap of this count is biased low.
    out += ",\n  \"level_motifs_95\": [";
    for (std::size_t i = 0; i < r.levelMotifs95.size(); ++i) {
        out += i ? ", " : "";
        number(out, r.levelMotifs95[i].value);
    }
    out += ']';
    estimate(out, "motif_continuity", r.continuity);
    estimate(out, "psi6_mean", r.psi6);
    estimate(out, "psi4_mean", r.psi4);
    const RingStatistics& rings = r.rings;
    out += ",\n  \"rings\": " + (r.hasRings ? std::to_string(rings.rings) : std::string("null"));
    out += ",\n  \"ring_sizes\": [";
    for (std::size_t i = 0; i < rings.sizes.size(); ++i)
        out += (i ? ", " : "") + std::to_string(rings.sizes[i]);
    out += ']';
    estimates(out, "ring_size_fractions", rings.fractions);
    const Estimate none{NAN, {NAN, NAN}};
    estimate(out, "ring_size_mean", r.hasRings ? rings.mean : none);
    estimate(out, "ring_size_variance", r.hasRings ? rings.variance : none);
    estimate(out, "aboav_weaire_a", r.hasRings ? rings.aboavWeaireA : none);
    out += ",\n  \"aboav_weaire_slope\": ";
    number(out, r.hasRings ? rings.aboavWeaireSlope : NAN);
    out += ",\n  \"aboav_weaire_intercept\": ";
    number(out, r.hasRings ? rings.aboavWeaireIntercept : NAN);
    out += ",\n  \"bootstrap\": {\"resamples\": " + std::to_string(r.plan.resamples) +
           ", \"seed\": " + std::to_string(r.plan.seed) + ", \"level\": 0.95}\n}\n";
    return out;
}

void writeDisorderJson(const DisorderReport& report, const std::string& path)
{
    writeFileAtomically(path, disorderJsonText(report));
}

} // namespace motifscope::disorder

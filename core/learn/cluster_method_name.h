#pragma once
/** ClusterMethod by its name ("segment", "gmm", "kmeans"): the CLI's --method, sessions, the Python module. */

#include "core/learn/clustering.h"

#include <optional>
#include <string>

namespace motifscope {

/** The method named `name`; nullopt for any other name (the caller says which setting was wrong). */
std::optional<ClusterMethod> clusterMethodFromName(const std::string& name);

} // namespace motifscope

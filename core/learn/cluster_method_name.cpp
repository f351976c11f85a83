#include "core/learn/cluster_method_name.h"

namespace motifscope {

std::optional<ClusterMethod> clusterMethodFromName(const std::string& name)
{
    if (name == "segment")
        return ClusterMethod::Segment;
    if (name == "gmm")
        return ClusterMethod::Gmm;
    if (name == "kmeans")
        return ClusterMethod::Kmeans;
    return std::nullopt;
}

} // namespace motifscope

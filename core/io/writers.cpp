#include "io/writers.h"

namespace motifscope {

void writeTiffFloat32(const Micrograph&, const std::string& path)
{
    throw IoError(path, "writer not implemented yet");
}

void writePng8(const Micrograph&, const std::string& path, double, double)
{
    throw IoError(path, "writer not implemented yet");
}

} // namespace motifscope

#include "io/readers.h"

namespace motifscope {

Micrograph readMrc(Bytes, const std::string& fileName)
{
    throw IoError(fileName, "reader not implemented yet");
}

} // namespace motifscope

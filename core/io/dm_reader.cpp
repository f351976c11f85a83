#include "io/readers.h"

namespace motifscope {

Micrograph readDm(Bytes, const std::string& fileName)
{
    throw IoError(fileName, "reader not implemented yet");
}

} // namespace motifscope

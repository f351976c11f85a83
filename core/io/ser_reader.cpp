#include "io/readers.h"

namespace motifscope {

Micrograph readSer(Bytes, const std::string& fileName, Bytes)
{
    throw IoError(fileName, "reader not implemented yet");
}

} // namespace motifscope

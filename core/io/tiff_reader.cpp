#include "io/readers.h"

namespace motifscope {

Micrograph readTiff(Bytes, const std::string& fileName)
{
    throw IoError(fileName, "reader not implemented yet");
}

} // namespace motifscope

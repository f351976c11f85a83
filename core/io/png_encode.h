#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

namespace motifscope {

/**
 * PNG file bytes of an 8-bit grey (CV_8UC1) or colour picture (CV_8UC3, OpenCV's blue-green-red
 * order), compressed
 * as OpenCV's PNG writer does by default (every row with the Sub filter, deflate level 1 with
 * run-length matches) but in strips of rows deflated side by side and joined into one stream.
 * Decodes to the same pixels as cv::imencode(".png"); the bytes differ.
 */
std::vector<std::uint8_t> encodePng(const cv::Mat& bgr);

} // namespace motifscope

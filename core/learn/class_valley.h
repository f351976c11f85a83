#pragma once
/** Whether two classes are two modes or one continuum cut in two: the valley between them along their log posterior odds. */

#include <vector>

namespace motifscope {

/** The valley between two classes along their log posterior odds, with its sampling error. */
struct OddsValley
{
    double ratio = 0.0;         ///< lowest density between the two peaks / the lower peak (0 .. 1)
    double standardError = 0.0; ///< of the ratio, from the kernel-weighted counts at the valley and the peak
};

/**
 * `odds`: per member of two classes A and B, log P(A | x) - log P(B | x) (> 0: the column is
 * A's). Their density along that axis (a Gaussian kernel estimate, Silverman's bandwidth) has a
 * highest point on each side of 0; the ratio is the lowest density between those two points over
 * the lower of the two: near 0 when the classes are separate modes with few columns between them,
 * near 1 when one continuous spread of columns was cut in two (the smaller side's highest density
 * is then at the cut). Its standard error (Poisson, from the kernel-weighted counts) is large when
 * few columns lie there: a hundred columns cannot show a valley either way. Ratio 0 when either side
 * has fewer than `minSide` members (too few to tell).
 */
OddsValley oddsValley(std::vector<float> odds, int minSide = 5);

} // namespace motifscope

#pragma once
/** The undoable step of Image > Set Scale: the micrograph's pixel size and unit. */

#include "ui/document/micrographdocument.h"

#include <QUndoCommand>

namespace motifscope::ui {

/** Swaps the micrograph's calibration between before and after (pixels, columns and motifs stay). */
class SetScaleCommand : public QUndoCommand
{
public:
    SetScaleCommand(MicrographDocument* document, Calibration after);
    void redo() override;
    void undo() override;

private:
    MicrographDocument* mDocument;
    Calibration mBefore, mAfter;
};

/** True when `a` and `b` give the same lengths (same unit and pixel sizes). */
bool sameCalibration(const Calibration& a, const Calibration& b);

} // namespace motifscope::ui

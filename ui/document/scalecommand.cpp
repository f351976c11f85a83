#include "ui/document/scalecommand.h"

namespace motifscope::ui {

SetScaleCommand::SetScaleCommand(MicrographDocument* document, Calibration after)
    : QUndoCommand(MicrographDocument::tr("Set Scale")), mDocument(document),
      mBefore(document->micrograph().calibration), mAfter(std::move(after))
{
}

void SetScaleCommand::redo()
{
    mDocument->applyCalibration(mAfter);
}

void SetScaleCommand::undo()
{
    mDocument->applyCalibration(mBefore);
}

bool sameCalibration(const Calibration& a, const Calibration& b)
{
    return a.unit == b.unit && a.pixelSizeX == b.pixelSizeX && a.pixelSizeY == b.pixelSizeY;
}

} // namespace motifscope::ui

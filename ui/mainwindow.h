#pragma once
#include <QMainWindow>

namespace motifscope::ui {

/** The MotifScope main window (placeholder until the first window lands). */
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace motifscope::ui

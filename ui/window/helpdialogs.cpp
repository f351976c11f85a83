#include "ui/window/helpdialogs.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace motifscope::ui {

namespace {

QDialog* helpWindow(QWidget* parent, const QString& title, const QString& objectName, QWidget* content)
{
    auto* dialog = new QDialog(parent);
    dialog->setObjectName(objectName);
    dialog->setWindowTitle(title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(content, 1);
    layout->addWidget(buttons);
    return dialog;
}

} // namespace

QString userGuideMarkdown()
{
    QFile file(QStringLiteral(":/motifscope/docs/user-guide.md"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QDialog* makeUserGuideDialog(QWidget* parent)
{
    auto* browser = new QTextBrowser;
    browser->setObjectName(QStringLiteral("userGuide"));
    browser->setOpenExternalLinks(true);
    browser->setMarkdown(userGuideMarkdown());
    QDialog* dialog = helpWindow(parent, QObject::tr("MotifScope User Guide"), QStringLiteral("userGuideDialog"), browser);
    dialog->resize(760, 820);
    return dialog;
}

QStringList shortcutLines(const QList<QAction*>& actions)
{
    QStringList lines;
    for (const QAction* a : actions) {
        if (!a || a->shortcuts().isEmpty())
            continue;
        QStringList keys;
        for (const QKeySequence& key : a->shortcuts())
            keys << key.toString(QKeySequence::NativeText);
        const QString name = QString(a->text()).remove(QLatin1Char('&')).remove(QStringLiteral("…"));
        const QString line = name + QLatin1Char('\t') + keys.join(QStringLiteral(", "));
        if (!lines.contains(line))
            lines << line;
    }
    std::sort(lines.begin(), lines.end(), [](const QString& a, const QString& b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    return lines;
}

QDialog* makeShortcutsDialog(QWidget* parent, const QList<QAction*>& actions)
{
    const QStringList lines = shortcutLines(actions);
    auto* table = new QTableWidget(int(lines.size()), 2);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setHorizontalHeaderLabels({QObject::tr("Command"), QObject::tr("Keys")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    for (int row = 0; row < lines.size(); ++row) {
        const QStringList parts = lines[row].split(QLatin1Char('\t'));
        table->setItem(row, 0, new QTableWidgetItem(parts.value(0)));
        table->setItem(row, 1, new QTableWidgetItem(parts.value(1)));
    }
    QDialog* dialog = helpWindow(parent, QObject::tr("Keyboard Shortcuts"), QStringLiteral("shortcutsDialog"), table);
    dialog->resize(480, 560);
    return dialog;
}

} // namespace motifscope::ui

// The factories of the views, one per file in gui/views/; MakeViews() (views.cc) lists them in menu order.
#pragma once

#include <memory>

#include "gui/view.h"

namespace custos::viewer {

std::unique_ptr<View> MakeDashboardView();
std::unique_ptr<View> MakeArtefactsView();
std::unique_ptr<View> MakeFilesView();
std::unique_ptr<View> MakeGalleryView();
std::unique_ptr<View> MakeTimelineView();
std::unique_ptr<View> MakeHitsView();
std::unique_ptr<View> MakeTagsView();
std::unique_ptr<View> MakeExamsView();

}  // namespace custos::viewer

// The one list of views, in menu order (Ctrl+1 is the first). Adding a view: its file here, one line below.
#include "gui/views/views.h"

namespace custos::viewer {

std::vector<std::unique_ptr<View>> MakeViews() {
  std::vector<std::unique_ptr<View>> views;
  views.push_back(MakeDashboardView());
  views.push_back(MakeArtefactsView());
  views.push_back(MakeFilesView());
  views.push_back(MakeGalleryView());
  views.push_back(MakeTimelineView());
  views.push_back(MakeHitsView());
  views.push_back(MakeTagsView());
  views.push_back(MakeExamsView());
  return views;
}

}  // namespace custos::viewer

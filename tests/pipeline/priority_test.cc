// Triage priority classes: what DESIGN.md "First findings first" asks for, case by case.
#include "triage/pipeline/priority.h"

#include <gtest/gtest.h>

namespace custos {
namespace {

FileRecord At(const std::string& path) {
  FileRecord f;
  f.path = path;
  f.name = path.substr(path.rfind('/') + 1);
  const size_t dot = f.name.rfind('.');
  if (dot != std::string::npos && dot > 0) {
    f.extension = f.name.substr(dot + 1);
    for (char& c : f.extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return f;
}

TEST(Priority, KeyArtefactsFirst) {
  EXPECT_EQ(PriorityOf(At("/Windows/System32/config/SYSTEM")), kPriorityKeyArtefact);
  EXPECT_EQ(PriorityOf(At("/Windows/System32/config/SAM")), kPriorityKeyArtefact);
  EXPECT_EQ(PriorityOf(At("/Users/jdoe/NTUSER.DAT")), kPriorityKeyArtefact);
  EXPECT_EQ(PriorityOf(At("/Users/jdoe/AppData/Local/Google/Chrome/User Data/Default/History")), kPriorityKeyArtefact);
  EXPECT_EQ(PriorityOf(At("/data/data/com.android.providers.telephony/databases/mmssms.db")), kPriorityKeyArtefact);
  EXPECT_EQ(PriorityOf(At("/Users/jdoe/Documents/Outlook Files/mail.PST")), kPriorityKeyArtefact);
  EXPECT_EQ(PriorityOf(At("/Windows/System32/winevt/Logs/Security.evtx")), kPriorityKeyArtefact);
}

TEST(Priority, UserPicturesThenUserFilesThenTheRest) {
  EXPECT_EQ(PriorityOf(At("/Users/jdoe/Pictures/IMG_0001.JPG")), kPriorityUserPicture);
  EXPECT_EQ(PriorityOf(At("/sdcard/DCIM/Camera/VID_1.mp4")), kPriorityUserPicture);
  EXPECT_EQ(PriorityOf(At("/Users/jdoe/Documents/plan.docx")), kPriorityUserDocument);
  EXPECT_EQ(PriorityOf(At("/stuff/notes.txt")), kPriorityOther);
  EXPECT_EQ(PriorityOf(At("/Windows/System32/kernel32.dll")), kPrioritySystem);
  EXPECT_EQ(PriorityOf(At("/$MFT")), kPrioritySystem);
}

TEST(Priority, HiveNamesOutsideConfigAreOrdinaryFiles) {
  // A user's file called "system" is not a registry hive.
  EXPECT_EQ(PriorityOf(At("/projects/system")), kPriorityOther);
  EXPECT_EQ(PriorityOf(At("/Users/jdoe/Desktop/software")), kPriorityUserDocument);
}

}  // namespace
}  // namespace custos

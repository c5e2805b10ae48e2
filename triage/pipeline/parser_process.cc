#include "triage/pipeline/parser_process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>

extern char** environ;

namespace custos {
namespace {

std::string ExitText(int wstatus) {
  if (WIFSIGNALED(wstatus)) {
    const int sig = WTERMSIG(wstatus);
    return std::string("the parser process died of signal ") + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  if (WIFEXITED(wstatus)) return "the parser process exited with status " + std::to_string(WEXITSTATUS(wstatus));
  return "the parser process stopped";
}

}  // namespace

std::string ParserProcessPath() {
  if (const char* env = std::getenv("CUSTOS_PARSE"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && std::filesystem::exists(self.parent_path() / "custos-parse")) {
    return (self.parent_path() / "custos-parse").string();
  }
  return CUSTOS_PARSE_BUILT_AT;  // programs that run from elsewhere in the build tree (the test suites)
}

std::chrono::milliseconds ParserProcess::TimeLimitFor(size_t bytes) {
  return std::chrono::milliseconds(120'000 + static_cast<int64_t>(bytes >> 20) * 1000);
}

ParserProcess::~ParserProcess() { Stop(false); }

Status ParserProcess::Start() {
  // A write to a child that just died must come back as an error, not kill the whole run.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });
  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return Status::IOError(std::string("pipe: ") + std::strerror(errno));
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return Status::IOError(std::string("pipe: ") + std::strerror(errno));
  }
  // A file goes to the child in one request: with Linux's 64 KiB pipe each request of a few hundred KiB took a
  // dozen writes, each waking the child for a part. 1 MiB is the unprivileged maximum; a refusal is harmless.
  fcntl(in_pipe[1], F_SETPIPE_SZ, 1 << 20);
  fcntl(out_pipe[1], F_SETPIPE_SZ, 1 << 20);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  const std::string exe = ParserProcessPath();
  char* argv[] = {const_cast<char*>(exe.c_str()), nullptr};
  const int rc = posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    pid_ = -1;
    return Status::NotFound("cannot start the parser process " + exe + ": " + std::strerror(rc) +
                            "; it is built beside custos (set CUSTOS_PARSE to its path if it was moved)");
  }
  to_child_ = in_pipe[1];
  from_child_ = out_pipe[0];
  return Status::Ok();
}

void ParserProcess::Stop(bool kill) {
  if (to_child_ >= 0) close(to_child_);
  if (from_child_ >= 0) close(from_child_);
  to_child_ = from_child_ = -1;
  if (pid_ > 0) {
    if (kill) ::kill(pid_, SIGKILL);
    int wstatus = 0;
    waitpid(pid_, &wstatus, 0);  // closing its stdin ends a healthy child at once
  }
  pid_ = -1;
}

Result<ParseReply> ParserProcess::Parse(const std::string& parser, const FileRecord& file, std::string_view bytes,
                                        const std::map<std::string, std::string>& companions,
                                        std::chrono::milliseconds time_limit) {
  if (pid_ < 0) CUSTOS_RETURN_IF_ERROR(Start());
  const auto deadline = std::chrono::steady_clock::now() + time_limit;
  // Ends the child (killed if still running: a hang or a broken reply) and says how it ended.
  auto fail = [&](std::string why) -> Status {
    int wstatus = 0;
    pid_t reaped = 0;
    for (int i = 0; i < 50 && (reaped = waitpid(pid_, &wstatus, WNOHANG)) == 0; ++i) usleep(10'000);
    if (reaped == pid_) {
      why += ": " + ExitText(wstatus);
      pid_ = -1;
    }
    Stop(true);
    return Status::Internal(why);
  };
  if (!WriteAll(to_child_, EncodeRequest(parser, file, bytes, companions)))
    return fail("the parser process stopped reading");
  // The reply: its length, then its body, each read under the deadline.
  std::string frame;
  size_t want = 8;
  bool have_length = false;
  while (frame.size() < want) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid_, SIGKILL);
      return fail("the parser did not finish within " + std::to_string(time_limit.count() / 1000) +
                  " s and was stopped");
    }
    pollfd p{from_child_, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) return fail(std::string("poll: ") + std::strerror(errno));
    if (ready <= 0) continue;
    char buf[1 << 16];
    const ssize_t n = read(from_child_, buf, std::min(sizeof buf, want - frame.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("the parser process ended without answering");
    frame.append(buf, static_cast<size_t>(n));
    if (!have_length && frame.size() == 8) {
      uint64_t len = 0;
      for (int i = 0; i < 8; ++i) len |= static_cast<uint64_t>(static_cast<unsigned char>(frame[i])) << (8 * i);
      if (len > (8ULL << 30)) return fail("the parser process sent a malformed reply");
      want = 8 + len;
      have_length = true;
    }
  }
  ParseReply reply;
  if (!DecodeReply(std::string_view(frame).substr(8), reply)) return fail("the parser process sent a malformed reply");
  return reply;
}

}  // namespace custos

/* demo: entry of the native reference build: host services instead of a Horizon process. */
#include "platform.h"

int main(int argc, char **argv) {
  int status = recomp_services_init(argc, argv);
  if (status != 0) return status;
  demo_main();
  recomp_exit_process();
}

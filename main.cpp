// crypto-trading: see README.md. The composition root is app/.
#include "app/main_entry.hpp"

int main(int argc, char** argv) {
  return ct::app::main_entry(argc, argv);
}

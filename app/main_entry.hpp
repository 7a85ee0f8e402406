// The executable's entry: the command line, the configuration, logging, then the service.
#pragma once

namespace ct::app {

int main_entry(int argc, char** argv);

}  // namespace ct::app

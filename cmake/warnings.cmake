# Warnings are errors in the project's own code (dependencies are system headers, so theirs
# do not count). ct_strict_warnings adds the conversion checks the pure trading library uses.
function(ct_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Werror)
endfunction()

function(ct_strict_warnings target)
  ct_warnings(${target})
  target_compile_options(${target} PRIVATE -Wconversion -Wsign-conversion)
endfunction()

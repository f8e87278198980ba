# samrad_target_defaults(TARGET): warnings and sanitizers for samrad's own targets only.
function(samrad_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(SAMRAD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(SAMRAD_SANITIZE)
  # Applied globally so that every object, including GoogleTest's main, agrees on the ABI.
  # -g1 (line tables only) is what the sanitizers' stack traces need; full debug
  # info made the CI build tree 3.5 GB, and a full disk once failed CI at link time.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=address,undefined)
endif()

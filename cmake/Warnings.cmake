# samrad_target_defaults(TARGET): warnings and sanitizers for samrad's own targets only.
function(samrad_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(SAMRAD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(SAMRAD_SANITIZE)
  # Applied globally so that every object, including GoogleTest's main, agrees on the ABI.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
endif()

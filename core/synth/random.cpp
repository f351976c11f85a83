// placeholder: see synth.h

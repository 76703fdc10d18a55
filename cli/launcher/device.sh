# Sourced by ./specc: which TensorFlow natives a computing command runs on, the CPU's or the GPU's.

# Sets specc_device (cpu or gpu), specc_device_reason (in words) and specc_device_explicit (true when
# SPECC_DEVICE named it). SPECC_DEVICE: cpu, gpu, or auto (the default: gpu when nvidia-smi -L lists one).
specc_choose_device() {
  specc_device_explicit=true
  case "${SPECC_DEVICE:-auto}" in
    cpu|gpu)
      specc_device="$SPECC_DEVICE"
      specc_device_reason="SPECC_DEVICE=$SPECC_DEVICE" ;;
    auto)
      specc_device_explicit=false
      local listed=""
      if command -v nvidia-smi >/dev/null 2>&1; then
        listed="$(nvidia-smi -L 2>/dev/null | grep -m1 '^GPU ' || true)"
      fi
      if [ -n "$listed" ]; then
        specc_device=gpu
        specc_device_reason="nvidia-smi -L lists ${listed%% (UUID*}"
      else
        specc_device=cpu
        if command -v nvidia-smi >/dev/null 2>&1; then
          specc_device_reason="nvidia-smi -L lists no GPU"
        else
          specc_device_reason="no nvidia-smi on the PATH"
        fi
      fi ;;
    *)
      echo "specc: SPECC_DEVICE must be cpu, gpu or auto, got '$SPECC_DEVICE'" >&2
      return 2 ;;
  esac
}

# Prints the path of TensorFlow's GPU natives jar (the linux-x86_64-gpu build of the CPU natives the
# build put in cli/target/lib), fetching it through Maven on first use: about 490 MB, kept in ~/.m2.
specc_gpu_natives() {
  local root="$1" cpu_jar version dir jar
  cpu_jar="$(ls "$root"/cli/target/lib/tensorflow-core-native-*-linux-x86_64.jar 2>/dev/null | head -1)"
  if [ -z "$cpu_jar" ]; then
    echo "specc: no TensorFlow natives in $root/cli/target/lib: build first (mvn -DskipTests install)" >&2
    return 1
  fi
  version="${cpu_jar##*/tensorflow-core-native-}"
  version="${version%-linux-x86_64.jar}"
  dir="$root/cli/target/natives-gpu"
  jar="$dir/tensorflow-core-native-$version-linux-x86_64-gpu.jar"
  if [ ! -f "$jar" ]; then
    echo "specc: fetching TensorFlow $version's GPU natives (about 490 MB, once; SPECC_DEVICE=cpu skips them)..." >&2
    if ! (cd "$root" && mvn -q -N dependency:copy -Dmdep.overWriteIfNewer=true \
          -Dartifact="org.tensorflow:tensorflow-core-native:$version:jar:linux-x86_64-gpu" -DoutputDirectory="$dir") >&2; then
      echo "specc: could not fetch org.tensorflow:tensorflow-core-native:$version:linux-x86_64-gpu; SPECC_DEVICE=cpu computes on the CPU" >&2
      return 1
    fi
  fi
  echo "$jar"
}

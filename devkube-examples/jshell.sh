#!/bin/sh
# devkube's interactive session: builds devkube, then opens jshell with it on the class path and
# src/main/jshell/devkube.jsh loaded (kube, deployNfs(), deploySsh(), deployWeb(), ppo(), nodeIps() ...).
cd "$(dirname "$0")/.." && ./mvnw -q -pl devkube-examples -am package -DskipTests && exec jshell --class-path "devkube-examples/target/classes:$(cat devkube-examples/target/launcher/classpath.txt)" --startup DEFAULT --startup devkube-examples/src/main/jshell/devkube.jsh "$@"

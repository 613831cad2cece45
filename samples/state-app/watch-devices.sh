#!/bin/sh
# The device side: watch every key the state app writes, as retained MQTT messages.
# Prints topic, retain flag and payload; a deleted key arrives as an empty payload.
# Single quotes keep the shell away from the '$' of '$dapr'.
exec mosquitto_sub -h "${MQTT_HOST:-127.0.0.1}" -p "${MQTT_PORT:-1883}" -V mqttv5 \
  -F '%t retain=%r %p' \
  -t '$dapr/state/mqtt-state/myapp||devices/#'

package dev.mqttsidecar.component; public final class Main { public static void main(String[] a) {} }

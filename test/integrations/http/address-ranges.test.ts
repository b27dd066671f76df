import { describe, expect, it } from "vitest";
import { classifyAddress } from "../../../src/integrations/http/address-ranges.js";
import { createNetworkPolicy } from "../../../src/integrations/http/network-policy.js";

describe("address ranges", () => {
  it("leaves public addresses alone, embedded ones included", () => {
    for (const address of [
      "8.8.8.8",
      "93.184.216.34",
      "1.1.1.1",
      "2606:4700:4700::1111",
      "2a00:1450:4007:80e::200e",
      "::ffff:8.8.8.8",
      "64:ff9b::808:808",
      "2002:808:808::1",
    ])
      expect(classifyAddress(address), address).toBeNull();
  });

  it("names the range of the rest, judging embedded IPv4 by itself", () => {
    const cases: [string, string, string?][] = [
      ["127.0.0.1", "loopback"],
      ["::ffff:7f00:1", "loopback", "127.0.0.1"],
      ["::7f00:1", "loopback", "127.0.0.1"],
      ["::8.8.8.8", "reserved", "8.8.8.8"],
      ["64:ff9b::a9fe:a9fe", "cloud_metadata", "169.254.169.254"],
      ["2002:c0a8:101::1", "private", "192.168.1.1"],
      ["64:ff9b:1::1", "private"],
      ["2001:0:4136:e378::1", "reserved"],
      ["fe80::1%eth0", "link_local"],
      ["4000::1", "reserved"],
      ["168.63.129.16", "cloud_metadata"],
    ];
    for (const [address, range, embedded] of cases)
      expect(classifyAddress(address), address).toEqual(
        embedded === undefined ? { range } : { range, embedded },
      );
  });

  it("lets public literals through the policy without any lookup", () => {
    const policy = createNetworkPolicy({ allowPrivateNetworks: false, allowedHosts: [] });
    expect(() => policy.checkHost("8.8.8.8")).not.toThrow();
    expect(() => policy.checkHost("[2606:4700::1]")).not.toThrow();
    expect(() => policy.checkAddresses("example.com", ["93.184.216.34"])).not.toThrow();
    expect(() => policy.checkAddresses("example.com", ["93.184.216.34", "10.0.0.1"])).toThrow(
      /example\.com \(10\.0\.0\.1\) is a private address/,
    );
  });
});

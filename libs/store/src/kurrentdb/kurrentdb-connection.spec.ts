import { connectKurrentDb } from './kurrentdb-connection';
import { parseKurrentDbLocation } from './kurrentdb-location';

describe('KurrentDB client connection strings', () => {
  it('are accepted by the real client once the ledger options are taken out', async () => {
    const { connectionString } = parseKurrentDbLocation(
      'esdb://admin:changeit@db1:2113,db2:2113?tls=false&credentialStore=sqlite:c.db&streamPrefix=x&nodePreference=leader',
    );
    const client = await connectKurrentDb(connectionString); // connects lazily: nothing listens here
    await client.dispose();
  });

  it('that the client cannot parse are refused as a RangeError', async () => {
    await expect(connectKurrentDb('kurrentdb://db:not-a-port')).rejects.toThrow(RangeError);
    await expect(connectKurrentDb('kurrentdb://db?tls=maybe')).rejects.toThrow(/not a KurrentDB connection string/);
  });
});

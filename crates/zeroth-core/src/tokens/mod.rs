//! Access tokens: signing, verification and the client_credentials grant.
